// Plain-argument wrappers for the libmicrohttpd functions that are C-variadic,
// which Swift cannot call.
#ifndef MHD_SHIM_H
#define MHD_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// The callback of MHD_OPTION_URI_LOG_CALLBACK (microhttpd.h has no typedef for it).
/// Its return value becomes the request's `*req_cls`.
typedef void *_Nullable (*mhd_shim_uri_log_callback)(void *_Nullable cls,
                                                      const char *_Nonnull uri,
                                                      struct MHD_Connection *_Nonnull connection);

/// Everything mhd_shim_start_daemon hands to MHD_start_daemon.
struct mhd_shim_daemon_options {
    unsigned int flags;                          // MHD_FLAG bits
    uint16_t port;                               // 0: the kernel picks one
    const struct sockaddr *_Nullable bind_address; // NULL: all interfaces
    MHD_AccessHandlerCallback _Nonnull access_handler;
    void *_Nullable access_handler_cls;
    mhd_shim_uri_log_callback _Nonnull uri_log;
    void *_Nullable uri_log_cls;
    MHD_RequestCompletedCallback _Nonnull completed;
    void *_Nullable completed_cls;
    unsigned int connection_limit;
    unsigned int connection_timeout_seconds;
    unsigned int thread_pool_size;
};

/// Starts a daemon. On failure returns NULL and leaves MHD's first log message,
/// without its trailing newline (empty when MHD said nothing), in `error`.
struct MHD_Daemon *_Nullable mhd_shim_start_daemon(const struct mhd_shim_daemon_options *_Nonnull options,
                                                   char *_Nonnull error,
                                                   size_t error_size);

/// The port the daemon listens on (MHD_DAEMON_INFO_BIND_PORT), 0 if unknown.
uint16_t mhd_shim_bound_port(struct MHD_Daemon *_Nonnull daemon);

/// The peer address of a connection (MHD_CONNECTION_INFO_CLIENT_ADDRESS), or NULL.
const struct sockaddr *_Nullable mhd_shim_client_address(struct MHD_Connection *_Nonnull connection);

#endif
