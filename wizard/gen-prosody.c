/* gen-prosody.c - placeholder */
