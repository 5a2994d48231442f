/* validate.c - placeholder */
