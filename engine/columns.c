/*
** columns.c: see columns.h.  Column names are "id", "dx", "px" and the
** field names of drg_field_names, in enum case_col order.
*/
#include "columns.h"

#include <string.h>

#include "model.h"
#include "spec.h"

static const char *col_name(int c)
{
	static const char *const fixed[COL_FIELD0] = {"id", "dx", "px"};
	return c < COL_FIELD0 ? fixed[c] : drg_field_names[c - COL_FIELD0];
}

void columns_map(case_columns *m, const csv_record *header)
{
	for (int c = 0; c < NCOLS; c++)
		m->col[c] = -1;
	m->nheader = header->nf;
	for (size_t i = 0; i < header->nf; i++) {
		drg_text t = header->field[i];
		if (i == 0 && t.len >= 3 && memcmp(t.ptr, "\xEF\xBB\xBF", 3) == 0)
			t.ptr += 3, t.len -= 3;
		for (int c = 0; c < NCOLS; c++)
			if (m->col[c] < 0 && strlen(col_name(c)) == t.len && !memcmp(col_name(c), t.ptr, t.len))
				m->col[c] = (long)i;
	}
	m->nfields = 0;
	for (int f = 0; f < DRG_F_COUNT; f++)
		if (m->col[COL_FIELD0 + f] >= 0) {
			m->field[m->nfields] = (unsigned char)f;
			m->fcol[m->nfields++] = (size_t)m->col[COL_FIELD0 + f];
		}
}

drg_text columns_cell(const case_columns *m, const csv_record *r, enum case_col col)
{
	long i = m->col[col];
	return i >= 0 && (size_t)i < r->nf ? r->field[i] : (drg_text){"", 0};
}

void columns_fill(const case_columns *m, const csv_record *r, drg_case *c)
{
	case_fill_fields(c, m->field, m->fcol, m->nfields, r->field, r->nf);
	drg_case_set_dx(c, columns_cell(m, r, COL_DX));
	drg_case_set_px(c, columns_cell(m, r, COL_PX));
}
