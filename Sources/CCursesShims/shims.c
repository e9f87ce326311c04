#include "CCursesShims.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

WINDOW *regtui_stdscr(void) { return stdscr; }
int regtui_lines(void) { return LINES; }
int regtui_cols(void) { return COLS; }
attr_t regtui_attr_bold(void) { return A_BOLD; }
attr_t regtui_attr_dim(void) { return A_DIM; }
attr_t regtui_attr_reverse(void) { return A_REVERSE; }
attr_t regtui_attr_underline(void) { return A_UNDERLINE; }
int regtui_key_code_yes(void) { return KEY_CODE_YES; }
FILE *regtui_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }

static int regtui_terminal_fd = 1;

static void regtui_fatal(int sig) {
    static const char mouse_off[] = "\033[?1006l\033[?1000l";
    (void)!write(regtui_terminal_fd, mouse_off, sizeof mouse_off - 1);
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

void regtui_restore_terminal_on_fatal_signals(int fd) {
    regtui_terminal_fd = fd;
    int signals[] = { SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = regtui_fatal;
        sigaction(signals[i], &action, NULL);
    }
}
