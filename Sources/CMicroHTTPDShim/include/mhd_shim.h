// Plain-argument wrappers for the libmicrohttpd functions that are C-variadic, which Swift
// cannot call, and the few socket calls whose constants Swift's Glibc module does not expose.
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

/// Called when libmicrohttpd answers a request on its own (400, 413, 414, 431, 500, 505, ...),
/// before or instead of the access handler; `status` is the HTTP status it sends.
typedef void (*mhd_shim_server_answer_callback)(void *_Nullable cls, unsigned int status);

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
    MHD_NotifyConnectionCallback _Nonnull notify_connection;
    void *_Nullable notify_connection_cls;
    mhd_shim_server_answer_callback _Nonnull server_answer;
    void *_Nullable server_answer_cls;
    unsigned int connection_limit;
    unsigned int connection_timeout_seconds;
    unsigned int thread_pool_size;
    /// Serve TLS with these; NULL serves plain HTTP.
    const struct mhd_shim_tls_options *_Nullable tls;
    /// Accept on this already listening socket (a daemon taking over from another); -1 binds
    /// `bind_address` and `port`.
    int listen_socket;
};

/// TLS for a daemon (MHD_USE_TLS): PEM texts and a GnuTLS priority string. The daemon keeps
/// its own copies.
struct mhd_shim_tls_options {
    const char *_Nonnull certificate_pem; // the certificate chain, the server's first
    const char *_Nonnull key_pem;
    /// CAs that client certificates are checked against; non-NULL also makes the server ask
    /// every client for a certificate (MHD does so exactly when it has a trust list).
    const char *_Nullable trust_pem;
    const char *_Nonnull priorities;      // e.g. "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3"
};

/// A started daemon and the logger state that must live as long as it does.
struct mhd_shim_daemon;

/// Starts a daemon. On failure returns NULL and leaves MHD's first log message,
/// without its trailing newline (empty when MHD said nothing), in `error`.
struct mhd_shim_daemon *_Nullable mhd_shim_start_daemon(const struct mhd_shim_daemon_options *_Nonnull options,
                                                        char *_Nonnull error,
                                                        size_t error_size);

/// Stops accepting connections (MHD_quiesce_daemon) and closes the daemon's listening socket
/// (another daemon may share it through dup); open connections go on being served. Returns 0,
/// or -1 when the daemon was already quiesced.
int mhd_shim_stop_listening(struct mhd_shim_daemon *_Nonnull daemon);

/// Stops the daemon (MHD_stop_daemon: waits for its threads) and frees it.
void mhd_shim_stop_daemon(struct mhd_shim_daemon *_Nonnull daemon);

/// The port the daemon listens on (MHD_DAEMON_INFO_BIND_PORT), 0 if unknown.
uint16_t mhd_shim_bound_port(struct mhd_shim_daemon *_Nonnull daemon);

/// The peer address of a connection (MHD_CONNECTION_INFO_CLIENT_ADDRESS), or NULL.
const struct sockaddr *_Nullable mhd_shim_client_address(struct MHD_Connection *_Nonnull connection);

/// The socket of a connection (MHD_CONNECTION_INFO_CONNECTION_FD), or -1.
int mhd_shim_connection_socket(struct MHD_Connection *_Nonnull connection);

/// Sets `closed[i]` to 1 for each socket in `sockets` whose peer has closed its side or that
/// has failed (poll with POLLRDHUP, without waiting) and that holds no unread byte, 0 for the
/// others. Reads nothing.
void mhd_shim_peers_closed(const int *_Nonnull sockets, size_t count, unsigned char *_Nonnull closed);

/// Checks TLS options the way a daemon would load them (key pair, trust list, priorities), so a
/// bad certificate is refused before a daemon is replaced. Returns 0, or -1 with a one-line
/// reason in `error`.
int mhd_shim_check_tls(const struct mhd_shim_tls_options *_Nonnull tls, char *_Nonnull error, size_t error_size);

/// What a TLS client showed of itself (mhd_shim_peer_certificate).
enum mhd_shim_peer_status {
    MHD_SHIM_PEER_NOT_TLS = -2,
    MHD_SHIM_PEER_UNVERIFIED = -1, // sent a certificate that does not verify (reason in `error`)
    MHD_SHIM_PEER_NONE = 0,        // sent no certificate
    MHD_SHIM_PEER_PRESENTED = 1,   // sent a certificate (verified when `verify` was set)
};

/// The client certificate of a TLS connection: whether one was sent and, when `verify` is
/// non-zero, whether it verifies against the daemon's trust list for TLS client authentication. Its subject alternative
/// names (DNS, e-mail, IP address, URI) are written to `sans`, each ending in a NUL byte;
/// `*sans_length` is set to the bytes written.
enum mhd_shim_peer_status mhd_shim_peer_certificate(struct MHD_Connection *_Nonnull connection,
                                                    int verify,
                                                    char *_Nonnull error,
                                                    size_t error_size,
                                                    char *_Nonnull sans,
                                                    size_t sans_size,
                                                    size_t *_Nonnull sans_length);

/// The daemon's listening socket (MHD_DAEMON_INFO_LISTEN_FD), or -1 (also once it stopped listening).
int mhd_shim_listen_socket(struct mhd_shim_daemon *_Nonnull daemon);

/// Connections the daemon has open (MHD_DAEMON_INFO_CURRENT_CONNECTIONS).
unsigned int mhd_shim_open_connections(struct mhd_shim_daemon *_Nonnull daemon);

#endif
