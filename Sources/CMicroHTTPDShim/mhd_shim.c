#include "mhd_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

// MHD logs through log_message for the daemon's whole life, from its own threads
// too. Only messages emitted on the thread running mhd_shim_start_daemon are kept,
// because they explain a failed start; thread-local storage keeps that race-free.
// Later messages (about misbehaving clients and the like) are dropped.
static _Thread_local char *start_error;
static _Thread_local size_t start_error_size;

static void log_message(void *cls, const char *format, va_list args) {
    (void)cls;
    if (start_error == NULL || start_error[0] != '\0') {
        return; // not starting, or the first (root-cause) message is already kept
    }
    vsnprintf(start_error, start_error_size, format, args);
    size_t length = strlen(start_error);
    while (length > 0 && start_error[length - 1] == '\n') {
        start_error[--length] = '\0';
    }
}

struct MHD_Daemon *mhd_shim_start_daemon(const struct mhd_shim_daemon_options *options,
                                         char *error,
                                         size_t error_size) {
    // Options taking two pointers carry the function in `value` (as intptr_t),
    // per the MHD_OPTION_ARRAY documentation.
    const MHD_LogCallback logger = log_message; // type-checked before the cast below
    struct MHD_OptionItem items[8];
    size_t count = 0;
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)logger, NULL};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)options->uri_log, options->uri_log_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)options->completed, options->completed_cls};
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
    struct MHD_Daemon *daemon = MHD_start_daemon(options->flags | MHD_USE_ERROR_LOG,
                                                 options->port,
                                                 NULL, NULL, // accept every client
                                                 options->access_handler, options->access_handler_cls,
                                                 MHD_OPTION_ARRAY, items,
                                                 MHD_OPTION_END);
    start_error = NULL;
    start_error_size = 0;
    return daemon;
}

uint16_t mhd_shim_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

const struct sockaddr *mhd_shim_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}
