// The ingest baseline: libmicrohttpd with the exporter's daemon flags and options (thread pool
// of 4, epoll, internal polling, ITC, suspend/resume allowed, the same connection limit and
// timeout, URI-log and completion callbacks) and a handler that reads the request, keeps
// nothing, and answers 200 "accepted\n". What the exporter adds on top is what ingest costs.
//
//   gcc -O2 -o bare-mhd Benchmarks/bare-mhd.c $(pkg-config --cflags --libs libmicrohttpd)
//   ./bare-mhd    # prints "port N" once listening on 127.0.0.1, serves until killed
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char accepted[] = "accepted\n";

// Per-request state, as the exporter keeps one: whether the headers-only first call has passed.
// MHD closes the connection after a response queued on that first call, so, like the exporter,
// this answers on the last call (keep-alive).
static int awaiting_headers, receiving_body;

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *connection) {
    (void)cls; (void)uri; (void)connection;
    return &awaiting_headers;
}

static void completed(void *cls, struct MHD_Connection *connection, void **request_cls,
                      enum MHD_RequestTerminationCode code) {
    (void)cls; (void)connection; (void)code;
    *request_cls = NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **request_cls) {
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    if (*request_cls == &awaiting_headers) {
        *request_cls = &receiving_body;
        return MHD_YES;
    }
    if (*upload_data_size > 0) { // body chunks: read and dropped
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *response = MHD_create_response_from_buffer(
        sizeof accepted - 1, (void *)accepted, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(response, "Content-Type", "text/plain; charset=utf-8");
    enum MHD_Result queued = MHD_queue_response(connection, 200, response);
    MHD_destroy_response(response);
    return queued;
}

int main(void) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const unsigned int threads = 4, connection_limit = 512;
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
        0, NULL, NULL, answer, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_LIMIT, 2 * connection_limit + 16 * threads,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "cannot start libmicrohttpd\n");
        return 1;
    }
    printf("port %u\n", (unsigned)MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT)->port);
    fflush(stdout);
    pause();
    MHD_stop_daemon(daemon);
    return 0;
}
