#ifndef BACKOFFICE_CCURSES_SHIM_H
#define BACKOFFICE_CCURSES_SHIM_H
// ncurses for the Console target only (design §2, §6). SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the
// wide-character API is switched on here. Macros and C globals do not import into Swift 6: each one the
// console needs is wrapped in a static inline function below.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *bo_stdscr(void) { return stdscr; }
static inline int bo_lines(void) { return LINES; }
static inline int bo_cols(void) { return COLS; }
static inline int bo_colors(void) { return COLORS; }
static inline int bo_color_pairs(void) { return COLOR_PAIRS; }
static inline int bo_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int bo_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t bo_a_normal(void) { return A_NORMAL; }
static inline attr_t bo_a_bold(void) { return A_BOLD; }
static inline attr_t bo_a_dim(void) { return A_DIM; }
static inline attr_t bo_a_reverse(void) { return A_REVERSE; }
static inline attr_t bo_a_underline(void) { return A_UNDERLINE; }
static inline attr_t bo_a_italic(void) { return A_ITALIC; }
static inline attr_t bo_a_standout(void) { return A_STANDOUT; }
static inline attr_t bo_color_pair(short pair) { return (attr_t)COLOR_PAIR(pair); }
static inline int bo_key_f(int n) { return KEY_F(n); }
static inline int bo_key_resize(void) { return KEY_RESIZE; }
static inline const cchar_t *bo_wacs_hline(void) { return WACS_HLINE; }
static inline const cchar_t *bo_wacs_vline(void) { return WACS_VLINE; }
static inline const cchar_t *bo_wacs_ulcorner(void) { return WACS_ULCORNER; }
static inline const cchar_t *bo_wacs_urcorner(void) { return WACS_URCORNER; }
static inline const cchar_t *bo_wacs_llcorner(void) { return WACS_LLCORNER; }
static inline const cchar_t *bo_wacs_lrcorner(void) { return WACS_LRCORNER; }

#endif
