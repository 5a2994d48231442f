/* gen-nginx.c - placeholder */
