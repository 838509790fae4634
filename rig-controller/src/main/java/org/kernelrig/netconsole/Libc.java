package org.kernelrig.netconsole;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls the receiver needs and Java does not offer, bound
 * directly through JNA (a call costs about what a JNI call costs). Loading
 * this class fails where JNA has no native part for the machine; see
 * {@link RecvmmsgSocket#available()}.
 */
final class Libc {

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    static native int bind(int fd, Pointer address, int length);

    static native int getsockname(int fd, Pointer address, Pointer length);

    static native int recvmmsg(int fd, Pointer messages, int count, int flags, Pointer timeout);

    static native int close(int fd);

    static native String strerror(int errno);

    /** {@code which} 0 (PRIO_PROCESS) with a thread id sets that one thread's nice value on Linux. */
    static native int setpriority(int which, int who, int nice);
}
