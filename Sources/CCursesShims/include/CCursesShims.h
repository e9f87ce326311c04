#ifndef REGTUI_CCURSESSHIMS_H
#define REGTUI_CCURSESSHIMS_H
// One-line wrappers for ncurses macros and globals that Swift cannot import, and the terminal
// restore on fatal signals. Every symbol here starts with `regtui_`.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <stdio.h>

WINDOW *regtui_stdscr(void);
int regtui_lines(void);
int regtui_cols(void);
attr_t regtui_attr_bold(void);
attr_t regtui_attr_dim(void);
attr_t regtui_attr_reverse(void);
attr_t regtui_attr_underline(void);
int regtui_key_code_yes(void);
/// Opens a descriptor as a stdio stream (fdopen), for newterm.
FILE *regtui_fdopen(int fd, const char *mode);
/// Restores the terminal (mouse reporting off, endwin) before the process dies of SIGTERM,
/// SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGFPE or SIGABRT, then dies of that signal. `fd` is where
/// the terminal's output goes.
void regtui_restore_terminal_on_fatal_signals(int fd);

#endif
