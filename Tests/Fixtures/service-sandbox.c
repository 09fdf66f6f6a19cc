// service-sandbox PROGRAM [ARGUMENT...]: runs PROGRAM under the system-call restrictions that
// contrib/systemd/vicidial-exporter.service asks systemd for, built as systemd builds them
// (src/shared/seccomp-util.c), so a test can prove the exporter works under them without
// systemd as PID 1:
//   NoNewPrivileges=yes              prctl(PR_SET_NO_NEW_PRIVS)
//   SystemCallArchitectures=native   a system call of another architecture kills the process
//   MemoryDenyWriteExecute=yes       mmap() asking for PROT_WRITE and PROT_EXEC, mprotect() and
//                                    pkey_mprotect() asking for PROT_EXEC, shmat() with SHM_EXEC:
//                                    EPERM
//   RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
//                                    socket() of any other family: EAFNOSUPPORT
//   SystemCallFilter=@system-service any other system call kills the process (the unit answers
//                                    EPERM instead; killing makes a stray call impossible to miss)
// The allowed calls come from allowed-syscalls.h, which the test writes from
// `systemd-analyze syscall-filter`: `#ifdef __NR_name` / `__NR_name,` / `#endif` for each name.
//
// service-sandbox --probe runs its own checks under the filter instead and prints what each
// forbidden request got, so the test knows the filter bites.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCHITECTURE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCHITECTURE AUDIT_ARCH_AARCH64
#else
#error "service-sandbox knows x86_64 and aarch64"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "argument checks read the low half of a 64-bit argument first: little-endian only"
#endif

static const int allowed[] = {
#include "allowed-syscalls.h"
};

static struct sock_filter program[BPF_MAXINSNS];
static unsigned short length;

static void add(struct sock_filter instruction) {
    if (length == BPF_MAXINSNS) {
        fprintf(stderr, "service-sandbox: filter longer than %d instructions\n", BPF_MAXINSNS);
        exit(127);
    }
    program[length++] = instruction;
}

static void load_number(void) { add((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))); }

static void load_argument(int index) {
    add((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[index])));
}

// `call` fails with `error` when all of `bits` are set in its argument `index`.
static void refuse_bits(int call, int index, unsigned bits, int error) {
    load_number();
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, call, 0, 4));
    load_argument(index);
    add((struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, bits));
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, bits, 0, 1));
    add((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | error));
}

static void install(void) {
    add((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCHITECTURE, 1, 0));
    add((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));

    refuse_bits(__NR_mmap, 2, PROT_WRITE | PROT_EXEC, EPERM);
    refuse_bits(__NR_mprotect, 2, PROT_EXEC, EPERM);
    refuse_bits(__NR_pkey_mprotect, 2, PROT_EXEC, EPERM);
    refuse_bits(__NR_shmat, 2, SHM_EXEC, EPERM);

    load_number();
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 5));
    load_argument(0);
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 3, 0));
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 2, 0));
    add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0));
    add((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT));

    load_number();
    for (size_t index = 0; index < sizeof allowed / sizeof allowed[0]; index++) {
        add((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[index], 0, 1));
        add((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    }
    add((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));

    struct sock_fprog filter = {.len = length, .filter = program};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) {
        fprintf(stderr, "service-sandbox: cannot install the filter: %s\n", strerror(errno));
        exit(127);
    }
}

static const char *outcome(long result) { return result >= 0 ? "allowed" : strerrorname_np(errno); }

// Each forbidden request once, and a call outside @system-service (reboot) in a child.
static int probe(void) {
    void *writable_executable = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(PROT_WRITE|PROT_EXEC): %s\n", outcome(writable_executable == MAP_FAILED ? -1 : 0));
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(PROT_WRITE): %s\n", outcome(page == MAP_FAILED ? -1 : 0));
    printf("mprotect(PROT_EXEC): %s\n", outcome(mprotect(page, 4096, PROT_READ | PROT_EXEC)));
    printf("socket(AF_NETLINK): %s\n", outcome(socket(AF_NETLINK, SOCK_RAW, 0)));
    printf("socket(AF_INET6): %s\n", outcome(socket(AF_INET6, SOCK_STREAM, 0)));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        syscall(__NR_reboot, 0, 0, 0, NULL);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("reboot: %s\n", WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : "returned");
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: service-sandbox PROGRAM [ARGUMENT...] | --probe\n");
        return 127;
    }
    install();
    if (strcmp(argv[1], "--probe") == 0) return probe();
    execv(argv[1], argv + 1);
    fprintf(stderr, "service-sandbox: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
