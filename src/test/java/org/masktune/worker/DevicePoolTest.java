package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GPU selection without a GPU: the device list is injected the way CUDA would report it. */
class DevicePoolTest {

    @Test
    void oneSlotPerGpuFoundAndNoCpuSlotsBesideThem() throws Exception {
        DevicePool pool = DevicePool.detect(null, 4, () -> 2);

        assertThat(pool.slots()).extracting(DevicePool.Slot::name).containsExactly("gpu:0", "gpu:1");
        assertThat(pool.slots()).extracting(DevicePool.Slot::gpuIndex).containsExactly(0, 1);
        UUID job = UUID.randomUUID();
        DevicePool.Slot lent = pool.lend(job);
        assertThat(lent.isGpu()).isTrue();
        assertThat(lent.job()).isEqualTo(job);
        DevicePool.Slot second = pool.lend(UUID.randomUUID());
        assertThat(second.name()).isNotEqualTo(lent.name());
        pool.giveBack(lent);
        assertThat(lent.job()).isNull();
        assertThat(pool.lend(UUID.randomUUID()).name()).isEqualTo(lent.name());
    }

    @Test
    void configuredGpusWinOverDetection() {
        DevicePool pool = DevicePool.detect(List.of(3), 1, () -> 8);
        assertThat(pool.slots()).extracting(DevicePool.Slot::name).containsExactly("gpu:3");
    }

    @Test
    void cpuSlotsWhenThereIsNoGpuOrNoCudaRuntime() {
        assertThat(DevicePool.detect(null, 2, () -> 0).slots()).extracting(DevicePool.Slot::name).containsExactly("cpu:0", "cpu:1");
        DevicePool noCuda = DevicePool.detect(null, 1, () -> {
            throw new UnsatisfiedLinkError("libcudart.so: cannot open shared object file");
        });
        assertThat(noCuda.slots()).extracting(DevicePool.Slot::name).containsExactly("cpu:0");
        assertThat(noCuda.slots().get(0).isGpu()).isFalse();
    }
}
