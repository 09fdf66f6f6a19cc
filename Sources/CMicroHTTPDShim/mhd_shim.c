#define _GNU_SOURCE // POLLRDHUP
#include "mhd_shim.h"
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
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
    // Set once MHD_quiesce_daemon has handed the listening socket back: MHD 0.9.75 would hand
    // the same, by then closed, number back again, and keeps reporting it as its listen fd.
    int quiesced;
    // Copies of the TLS texts handed to MHD, which keeps only the pointers.
    char *certificate_pem;
    char *key_pem;
    char *trust_pem;
    char *priorities;
};

static void free_shim(struct mhd_shim_daemon *shim) {
    free(shim->certificate_pem);
    free(shim->key_pem);
    free(shim->trust_pem);
    free(shim->priorities);
    free(shim);
}

static char *copy_or_null(const char *text) { return text == NULL ? NULL : strdup(text); }

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
    struct mhd_shim_daemon *shim = calloc(1, sizeof *shim);
    if (shim == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    shim->server_answer = options->server_answer;
    shim->server_answer_cls = options->server_answer_cls;

    // Options taking two pointers carry the function in `value` (as intptr_t),
    // per the MHD_OPTION_ARRAY documentation.
    const MHD_LogCallback logger = log_message; // type-checked before the cast below
    unsigned int flags = options->flags | MHD_USE_ERROR_LOG; // without it, MHD never calls the logger
    struct MHD_OptionItem items[16];
    size_t count = 0;
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)logger, shim};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)options->uri_log, options->uri_log_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)options->completed, options->completed_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)options->notify_connection, options->notify_connection_cls};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, options->connection_limit, NULL};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, options->connection_timeout_seconds, NULL};
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, options->thread_pool_size, NULL};
    if (options->listen_socket >= 0) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, options->listen_socket, NULL};
    } else if (options->bind_address != NULL) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)options->bind_address};
    }
    if (options->tls != NULL) {
        const struct mhd_shim_tls_options *tls = options->tls;
        shim->certificate_pem = strdup(tls->certificate_pem);
        shim->key_pem = strdup(tls->key_pem);
        shim->trust_pem = copy_or_null(tls->trust_pem);
        shim->priorities = strdup(tls->priorities);
        if (shim->certificate_pem == NULL || shim->key_pem == NULL || shim->priorities == NULL
            || (tls->trust_pem != NULL && shim->trust_pem == NULL)) {
            snprintf(error, error_size, "out of memory");
            free_shim(shim);
            return NULL;
        }
        flags |= MHD_USE_TLS;
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, shim->certificate_pem};
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, shim->key_pem};
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, shim->priorities};
        if (shim->trust_pem != NULL) {
            items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, shim->trust_pem};
        }
    }
    items[count] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    error[0] = '\0';
    start_error = error;
    start_error_size = error_size;
    shim->daemon = MHD_start_daemon(flags,
                                    options->port,
                                    NULL, NULL, // admission is decided in notify_connection
                                    options->access_handler, options->access_handler_cls,
                                    MHD_OPTION_ARRAY, items,
                                    MHD_OPTION_END);
    start_error = NULL;
    start_error_size = 0;
    if (shim->daemon == NULL) {
        free_shim(shim);
        return NULL;
    }
    return shim;
}

int mhd_shim_stop_listening(struct mhd_shim_daemon *shim) {
    if (shim->quiesced) return -1;
    MHD_socket listening = MHD_quiesce_daemon(shim->daemon);
    if (listening == MHD_INVALID_SOCKET) return -1;
    shim->quiesced = 1;
    close(listening);
    return 0;
}

void mhd_shim_stop_daemon(struct mhd_shim_daemon *shim) {
    MHD_stop_daemon(shim->daemon);
    free_shim(shim);
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

static int tls_failure(char *error, size_t error_size, const char *what, int code) {
    snprintf(error, error_size, "%s: %s", what, gnutls_strerror(code));
    return -1;
}

int mhd_shim_check_tls(const struct mhd_shim_tls_options *tls, char *error, size_t error_size) {
    gnutls_certificate_credentials_t credentials;
    int code = gnutls_certificate_allocate_credentials(&credentials);
    if (code < 0) return tls_failure(error, error_size, "TLS credentials", code);
    int result = 0;
    gnutls_datum_t certificate = {(unsigned char *)tls->certificate_pem, (unsigned int)strlen(tls->certificate_pem)};
    gnutls_datum_t key = {(unsigned char *)tls->key_pem, (unsigned int)strlen(tls->key_pem)};
    code = gnutls_certificate_set_x509_key_mem(credentials, &certificate, &key, GNUTLS_X509_FMT_PEM);
    if (code < 0) {
        result = tls_failure(error, error_size, "certificate and key", code);
    } else if (tls->trust_pem != NULL) {
        gnutls_datum_t trust = {(unsigned char *)tls->trust_pem, (unsigned int)strlen(tls->trust_pem)};
        code = gnutls_certificate_set_x509_trust_mem(credentials, &trust, GNUTLS_X509_FMT_PEM);
        if (code <= 0) {
            result = code < 0 ? tls_failure(error, error_size, "client CAs", code)
                              : (snprintf(error, error_size, "client CAs: no PEM certificate found"), -1);
        }
    }
    gnutls_certificate_free_credentials(credentials);
    if (result == 0) {
        gnutls_priority_t priority;
        const char *position = NULL;
        code = gnutls_priority_init(&priority, tls->priorities, &position);
        if (code < 0) return tls_failure(error, error_size, "TLS priorities", code);
        gnutls_priority_deinit(priority);
    }
    return result;
}

/// Appends one subject alternative name and its NUL; returns 0, or -1 when it does not fit.
static int append_name(char *sans, size_t sans_size, size_t *length, const char *name, size_t name_length) {
    if (*length + name_length + 1 > sans_size) return -1;
    memcpy(sans + *length, name, name_length);
    sans[*length + name_length] = '\0';
    *length += name_length + 1;
    return 0;
}

static void collect_names(const gnutls_datum_t *der, char *sans, size_t sans_size, size_t *length) {
    gnutls_x509_crt_t certificate;
    if (gnutls_x509_crt_init(&certificate) < 0) return;
    if (gnutls_x509_crt_import(certificate, der, GNUTLS_X509_FMT_DER) >= 0) {
        for (unsigned int index = 0;; index++) {
            char name[1024];
            size_t name_size = sizeof name - 1;
            int type = gnutls_x509_crt_get_subject_alt_name(certificate, index, name, &name_size, NULL);
            if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
            if (type == GNUTLS_E_SHORT_MEMORY_BUFFER) continue; // a name over 1 KiB matches nothing
            if (type < 0) break;
            int appended = 0;
            if (type == GNUTLS_SAN_IPADDRESS) {
                char text[INET6_ADDRSTRLEN];
                int family = name_size == 4 ? AF_INET : name_size == 16 ? AF_INET6 : 0;
                if (family != 0 && inet_ntop(family, name, text, sizeof text) != NULL) {
                    appended = append_name(sans, sans_size, length, text, strlen(text));
                }
            } else if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME || type == GNUTLS_SAN_URI) {
                appended = append_name(sans, sans_size, length, name, name_size);
            }
            if (appended != 0) break;
        }
    }
    gnutls_x509_crt_deinit(certificate);
}

enum mhd_shim_peer_status mhd_shim_peer_certificate(struct MHD_Connection *connection,
                                                    int verify,
                                                    char *error,
                                                    size_t error_size,
                                                    char *sans,
                                                    size_t sans_size,
                                                    size_t *sans_length) {
    *sans_length = 0;
    error[0] = '\0';
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return MHD_SHIM_PEER_NOT_TLS;
    gnutls_session_t session = (gnutls_session_t)info->tls_session;
    unsigned int count = 0;
    const gnutls_datum_t *chain = gnutls_certificate_get_peers(session, &count);
    if (chain == NULL || count == 0) return MHD_SHIM_PEER_NONE;
    collect_names(&chain[0], sans, sans_size, sans_length);
    if (verify) {
        unsigned int status = 0;
        // As Go's crypto/tls verifies a client: the chain must also allow TLS client auth
        // (a certificate without an extended key usage allows any).
        gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
        int code = gnutls_certificate_verify_peers(session, &purpose, 1, &status);
        if (code < 0) {
            snprintf(error, error_size, "%s", gnutls_strerror(code));
            return MHD_SHIM_PEER_UNVERIFIED;
        }
        if (status != 0) {
            gnutls_datum_t text;
            if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) >= 0) {
                snprintf(error, error_size, "%s", (const char *)text.data);
                gnutls_free(text.data);
            } else {
                snprintf(error, error_size, "verification status %u", status);
            }
            return MHD_SHIM_PEER_UNVERIFIED;
        }
    }
    return MHD_SHIM_PEER_PRESENTED;
}

int mhd_shim_listen_socket(struct mhd_shim_daemon *shim) {
    if (shim->quiesced) return -1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(shim->daemon, MHD_DAEMON_INFO_LISTEN_FD);
    return info == NULL ? -1 : info->listen_fd;
}

unsigned int mhd_shim_open_connections(struct mhd_shim_daemon *shim) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(shim->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}
