/* gen-scripts.c - placeholder */
