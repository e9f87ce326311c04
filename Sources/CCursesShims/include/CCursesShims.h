#ifndef REGTUI_CCURSESSHIMS_H
#define REGTUI_CCURSESSHIMS_H
// One-line wrappers for ncurses macros and globals that Swift cannot import.
// Every symbol here starts with `regtui_`.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>

WINDOW *regtui_stdscr(void);
int regtui_lines(void);
int regtui_cols(void);
attr_t regtui_attr_bold(void);
attr_t regtui_attr_dim(void);
attr_t regtui_attr_reverse(void);
attr_t regtui_attr_underline(void);
attr_t regtui_color_pair(int pair);
int regtui_key_code_yes(void);
mmask_t regtui_mouse_mask(void);
int regtui_mouse_event(int *x, int *y, int *kind);  // kind: 0 press, 1 wheel up, 2 wheel down; returns 0 on success
/// Restores the terminal (endwin) before the process dies of SIGTERM, SIGHUP, SIGSEGV, SIGBUS,
/// SIGILL, SIGFPE or SIGABRT, then dies of that signal.
void regtui_restore_terminal_on_fatal_signals(void);

#endif
