package dev.bpfglobals.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one fd owner: closed once, only after the last use in flight; dup gives a second owner. */
class BpfFdTest {

    @Test
    void aCloseDuringAUseTakesEffectWhenTheUseEnds() {
        int raw = FdCalls.dup(2);
        BpfFd fd = BpfFd.adopt(raw, "test fd");

        assertThat(fd.acquire()).isEqualTo(raw);
        fd.close();
        assertThat(isOpen(raw)).as("still in use").isTrue();
        assertThatThrownBy(() -> fd.acquire()).isInstanceOf(IllegalStateException.class)
                .hasMessage("test fd is closed");
        fd.release();
        assertThat(isOpen(raw)).isFalse();
        fd.close();
    }

    @Test
    void withoutUsesCloseClosesAtOnce() {
        int raw = FdCalls.dup(2);
        BpfFd fd = BpfFd.adopt(raw, "test fd");
        fd.acquire();
        fd.release();

        fd.close();

        assertThat(isOpen(raw)).isFalse();
        assertThat(fd.isClosed()).isTrue();
    }

    @Test
    void aUseRefusedAfterCloseNeverClosesTheNumberAgain() {
        int raw = FdCalls.dup(2);
        BpfFd fd = BpfFd.adopt(raw, "test fd");
        fd.close();
        int reused = FdCalls.dup(2); // the lowest free number: usually raw again, now another file's
        try {
            assertThatThrownBy(() -> fd.acquire()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> fd.acquire()).isInstanceOf(IllegalStateException.class);

            assertThat(isOpen(reused)).as("the descriptor that took the number").isTrue();
        } finally {
            FdCalls.close(reused);
        }
    }

    @Test
    void usersRacingACloseEitherFinishOrAreRefusedAndTheFdEndsClosed() throws Exception {
        for (int round = 0; round < 200; round++) {
            int raw = FdCalls.dup(2);
            BpfFd fd = BpfFd.adopt(raw, "test fd");
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger wrongFd = new AtomicInteger();
            List<Thread> users = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                users.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    for (int i = 0; i < 1_000; i++) {
                        try {
                            int used = fd.acquire();
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

    @Test
    void aDupIsASecondOwnerThatOutlivesTheFirst() {
        BpfFd first = BpfFd.adopt(FdCalls.dup(2), "test fd");
        BpfFd second = first.dup();

        first.close();

        assertThat(second.value()).isNotEqualTo(-1);
        assertThat(isOpen(second.value())).isTrue();
        second.close();
        second.close();
        assertThatThrownBy(second::value).isInstanceOf(IllegalStateException.class).hasMessage("test fd is closed");
    }

    @Test
    void adoptingANegativeNumberIsRefused() {
        assertThatThrownBy(() -> BpfFd.adopt(-1, "nothing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a file descriptor: -1");
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
