/* gen-coturn.c - placeholder */
