/* gen-dns.c - placeholder */
