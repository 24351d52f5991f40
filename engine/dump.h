/*
** dump.h: a readable listing of a compiled image (`drg dump`): header,
** section sizes, and every table with its condition programs disassembled op
** by op.  It is the golden form of the compiler's output in the tests.
*/
#ifndef DRG_DUMP_H
#define DRG_DUMP_H

#include <stdio.h>

#include "drg/drg.h"

/* Writes the listing of spec to f.  0, or DRG_EIO when writing failed. */
int spec_dump(const drg_spec *spec, FILE *f);

#endif
