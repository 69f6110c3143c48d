/* no_ddb.c: an i386 image without a DDB (the loader refuses it). */
unsigned int lonely(unsigned int x) { return x + 1; }
