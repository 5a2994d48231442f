/* answers.c - placeholder */
