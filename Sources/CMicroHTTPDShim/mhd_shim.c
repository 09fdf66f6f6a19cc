#define _GNU_SOURCE // POLLRDHUP
#include "mhd_shim.h"
#include <unistd.h>

#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mhd_shim_daemon {
    struct MHD_Daemon *daemon;
    mhd_shim_server_answer_callback server_answer;
    void *server_answer_cls;
};

// MHD logs through log_message for the daemon's whole life, from its own threads too.
// Messages emitted on the thread running mhd_shim_start_daemon are kept, because they explain
// a failed start; thread-local storage keeps that race-free. Of the later ones, only the one
// MHD writes when it answers a request itself is used: it carries the status it sends.
static _Thread_local char *start_error;
static _Thread_local size_t start_error_size;

// MHD 0.9.x: transmit_error_response() in connection.c.
static const char error_response_format[] = "Error processing request (HTTP response code is %u";

static void log_message(void *cls, const char *format, va_list args) {
    struct mhd_shim_daemon *shim = cls;
    if (strncmp(format, error_response_format, sizeof error_response_format - 1) == 0) {
        va_list copy;
        va_copy(copy, args);
        unsigned int status = va_arg(copy, unsigned int);
        va_end(copy);
        shim->server_answer(shim->server_answer_cls, status);
        return;
    }
    if (start_error == NULL || start_error[0] != '\0') {
        return; // not starting, or the first (root-cause) message is already kept
    }
    vsnprintf(start_error, start_error_size, format, args);
    size_t length = strlen(start_error);
    while (length > 0 && start_error[length - 1] == '\n') {
        start_error[--length] = '\0';
    }
}

struct mhd_shim_daemon *mhd_shim_start_daemon(const struct mhd_shim_daemon_options *options,
                                              char *error,
                                              size_t error_size) {
    struct mhd_shim_daemon *shim = malloc(sizeof *shim);
    if (shim == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    shim->server_answer = options->server_answer;
    shim->server_answer_cls = options->server_answer_cls;

    // Options taking two pointers carry the function in `value` (as intptr_t),
    // per the MHD_OPTION_ARRAY documentation.
    const MHD_LogCallback logger = log_message; // type-checked before the cast below
    struct MHD_OptionItem items[9];
    size_t count = 0;
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)logger, shim};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)options->uri_log, options->uri_log_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)options->completed, options->completed_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)options->notify_connection, options->notify_connection_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, options->connection_limit, NULL};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, options->connection_timeout_seconds, NULL};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, options->thread_pool_size, NULL};
    if (options->bind_address != NULL) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)options->bind_address};
    }
    items[count] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    error[0] = '\0';
    start_error = error;
    start_error_size = error_size;
    // Without MHD_USE_ERROR_LOG, MHD never calls the logger.
    shim->daemon = MHD_start_daemon(options->flags | MHD_USE_ERROR_LOG,
                                    options->port,
                                    NULL, NULL, // admission is decided in notify_connection
                                    options->access_handler, options->access_handler_cls,
                                    MHD_OPTION_ARRAY, items,
                                    MHD_OPTION_END);
    start_error = NULL;
    start_error_size = 0;
    if (shim->daemon == NULL) {
        free(shim);
        return NULL;
    }
    return shim;
}

int mhd_shim_stop_listening(struct mhd_shim_daemon *shim) {
    MHD_socket listening = MHD_quiesce_daemon(shim->daemon);
    if (listening == MHD_INVALID_SOCKET) return -1;
    close(listening);
    return 0;
}

void mhd_shim_stop_daemon(struct mhd_shim_daemon *shim) {
    MHD_stop_daemon(shim->daemon);
    free(shim);
}

uint16_t mhd_shim_bound_port(struct mhd_shim_daemon *shim) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(shim->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

const struct sockaddr *mhd_shim_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

int mhd_shim_connection_socket(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

void mhd_shim_peers_closed(const int *sockets, size_t count, unsigned char *closed) {
    struct pollfd stack[256];
    struct pollfd *fds = count <= 256 ? stack : malloc(count * sizeof *fds);
    if (fds == NULL) {
        memset(closed, 0, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        fds[i] = (struct pollfd){.fd = sockets[i], .events = POLLRDHUP, .revents = 0};
    }
    int ready = poll(fds, (nfds_t)count, 0);
    for (size_t i = 0; i < count; i++) {
        int unread = 0;
        // Bytes still in the kernel's buffer: MHD has yet to read them, and will see the close then.
        closed[i] = ready > 0 && (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0
            && (ioctl(sockets[i], FIONREAD, &unread) != 0 || unread == 0);
    }
    if (fds != stack) {
        free(fds);
    }
}
