#ifndef XS_output_H
#define XS_output_H
#endif
