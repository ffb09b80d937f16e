/*
 * mac_table.h: the multiply-accumulate and multiply-halfword instructions of the 440 and the
 * operands mac.c runs them on. Shared with guest-images/tools/mac_model.py, which parses the
 * X(...), MAC_VEC(...) and MAC_XER(...) entries below to compute the expected output from the
 * manual's semantics; keep one entry per line.
 */
#ifndef MAC_TABLE_H
#define MAC_TABLE_H

/* every instruction also runs in its record form (name + ".") */
#define MAC_INSNS(X)                                                                               \
	X(macchw) X(macchwo) X(macchws) X(macchwso) X(macchwsu) X(macchwsuo) X(macchwu)           \
	X(macchwuo) X(machhw) X(machhwo) X(machhws) X(machhwso) X(machhwsu) X(machhwsuo)          \
	X(machhwu) X(machhwuo) X(maclhw) X(maclhwo) X(maclhws) X(maclhwso) X(maclhwsu)            \
	X(maclhwsuo) X(maclhwu) X(maclhwuo) X(nmacchw) X(nmacchwo) X(nmacchws) X(nmacchwso)       \
	X(nmachhw) X(nmachhwo) X(nmachhws) X(nmachhwso) X(nmaclhw) X(nmaclhwo) X(nmaclhws)        \
	X(nmaclhwso) X(mulchw) X(mulchwu) X(mulhhw) X(mulhhwu) X(mullhw) X(mullhwu)

/* RA, RB, RT before. Selected halves: c = RA low x RB high, hh = high x high, lh = low x low */
#define MAC_VECTORS                                                                                \
	MAC_VEC(0x7fff7fff, 0x7fff7fff, 0x00000000)                                                \
	MAC_VEC(0x80008000, 0x80008000, 0x00000000)                                                \
	MAC_VEC(0x80008000, 0x7fff7fff, 0x00000000)                                                \
	MAC_VEC(0xffffffff, 0xffffffff, 0x00000000)                                                \
	MAC_VEC(0x7fff7fff, 0x7fff7fff, 0x7fffffff)                                                \
	MAC_VEC(0x80008000, 0x80008000, 0x40000000)                                                \
	MAC_VEC(0x80008000, 0x7fff7fff, 0x80000000)                                                \
	MAC_VEC(0x7fff7fff, 0x80008000, 0xc0000000)                                                \
	MAC_VEC(0xffffffff, 0xffffffff, 0xffffffff)                                                \
	MAC_VEC(0x00010001, 0x00010001, 0x7fffffff)                                                \
	MAC_VEC(0x00010001, 0xffffffff, 0x80000000)                                                \
	MAC_VEC(0x12345678, 0x9abcdef0, 0x0f0f0f0f)                                                \
	MAC_VEC(0x8000ffff, 0xffff8000, 0x00000064)                                                \
	MAC_VEC(0x00000000, 0x12345678, 0xffffffff)                                                \
	MAC_VEC(0x7fff8000, 0x80007fff, 0x7fffffff)                                                \
	MAC_VEC(0x00010001, 0xfffafffa, 0x00000064)

/* XER before: clear, and SO|OV|CA set (SO is sticky, CA must survive, OV is rewritten by o) */
#define MAC_XERS MAC_XER(0x00000000) MAC_XER(0xe0000000)

#endif
