package dev.bpfglobals.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The use-counted descriptor: closed once, only after the last use in flight. */
class SharedFdTest {

    @Test
    void aCloseDuringAUseTakesEffectWhenTheUseEnds() {
        int raw = Sys.dup(2);
        SharedFd fd = new SharedFd(raw);

        assertThat(fd.acquire(() -> "closed")).isEqualTo(raw);
        fd.close();
        assertThat(isOpen(raw)).as("still in use").isTrue();
        assertThatThrownBy(() -> fd.acquire(() -> "test fd is closed")).isInstanceOf(IllegalStateException.class)
                .hasMessage("test fd is closed");
        fd.release();
        assertThat(isOpen(raw)).isFalse();
        fd.close();
    }

    @Test
    void withoutUsesCloseClosesAtOnce() {
        int raw = Sys.dup(2);
        SharedFd fd = new SharedFd(raw);
        fd.acquire(() -> "closed");
        fd.release();

        fd.close();

        assertThat(isOpen(raw)).isFalse();
        assertThat(fd.isClosed()).isTrue();
    }

    @Test
    void aUseRefusedAfterCloseNeverClosesTheNumberAgain() {
        int raw = Sys.dup(2);
        SharedFd fd = new SharedFd(raw);
        fd.close();
        int reused = Sys.dup(2); // the lowest free number: usually raw again, now another file's
        try {
            assertThatThrownBy(() -> fd.acquire(() -> "closed")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> fd.acquire(() -> "closed")).isInstanceOf(IllegalStateException.class);

            assertThat(isOpen(reused)).as("the descriptor that took the number").isTrue();
        } finally {
            Sys.close(reused);
        }
    }

    @Test
    void usersRacingACloseEitherFinishOrAreRefusedAndTheFdEndsClosed() throws Exception {
        for (int round = 0; round < 200; round++) {
            int raw = Sys.dup(2);
            SharedFd fd = new SharedFd(raw);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger wrongFd = new AtomicInteger();
            List<Thread> users = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                users.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    for (int i = 0; i < 1_000; i++) {
                        try {
                            int used = fd.acquire(() -> "closed");
                            if (!isOpen(used)) {
                                wrongFd.incrementAndGet(); // a use saw the fd after it was closed
                            }
                            fd.release();
                        } catch (IllegalStateException closed) {
                            return;
                        }
                    }
                }));
            }
            start.countDown();
            fd.close();
            for (Thread user : users) {
                user.join();
            }

            assertThat(wrongFd).hasValue(0);
            assertThat(isOpen(raw)).isFalse();
        }
    }

    private static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
