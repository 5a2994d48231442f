#ifndef XS_validate_H
#define XS_validate_H
#endif
