/* gen-firewall.c - placeholder */
