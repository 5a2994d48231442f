/* gen.c - placeholder */
