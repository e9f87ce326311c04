#include "CCursesShims.h"
#include <signal.h>
#include <string.h>

WINDOW *regtui_stdscr(void) { return stdscr; }
int regtui_lines(void) { return LINES; }
int regtui_cols(void) { return COLS; }
attr_t regtui_attr_bold(void) { return A_BOLD; }
attr_t regtui_attr_dim(void) { return A_DIM; }
attr_t regtui_attr_reverse(void) { return A_REVERSE; }
attr_t regtui_attr_underline(void) { return A_UNDERLINE; }
attr_t regtui_color_pair(int pair) { return COLOR_PAIR(pair); }
int regtui_key_code_yes(void) { return KEY_CODE_YES; }
mmask_t regtui_mouse_mask(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED; }

int regtui_mouse_event(int *x, int *y, int *kind) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON4_PRESSED) *kind = 1;
    else if (event.bstate & BUTTON5_PRESSED) *kind = 2;
    else if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) *kind = 0;
    else return -1;
    return 0;
}

static void regtui_fatal(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

void regtui_restore_terminal_on_fatal_signals(void) {
    int signals[] = { SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = regtui_fatal;
        sigaction(signals[i], &action, NULL);
    }
}
