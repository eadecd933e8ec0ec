package org.masktune.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices this instance lends to jobs: one slot per GPU, or N CPU slots when there is none.
 * There are exactly as many worker threads as slots, so a worker never waits for a device.
 */
public final class DevicePool {

    private static final Logger log = LoggerFactory.getLogger(DevicePool.class);

    /** One device and the job it is running now. {@code gpuIndex} is null for CPU slots. */
    public static final class Slot {
        private final String name;
        private final Integer gpuIndex;
        private final AtomicReference<UUID> job = new AtomicReference<>();

        Slot(String name, Integer gpuIndex) {
            this.name = name;
            this.gpuIndex = gpuIndex;
        }

        public String name() {
            return name;
        }

        public Integer gpuIndex() {
            return gpuIndex;
        }

        public boolean isGpu() {
            return gpuIndex != null;
        }

        public UUID job() {
            return job.get();
        }

        void assign(UUID jobId) {
            job.set(jobId);
        }
    }

    private final List<Slot> slots;
    private final BlockingQueue<Slot> free;

    public DevicePool(List<Integer> gpus, int cpuSlots) {
        List<Slot> all = new ArrayList<>();
        if (gpus.isEmpty()) {
            for (int i = 0; i < cpuSlots; i++) {
                all.add(new Slot("cpu:" + i, null));
            }
        } else {
            gpus.forEach(g -> all.add(new Slot("gpu:" + g, g)));
        }
        slots = List.copyOf(all);
        free = new ArrayBlockingQueue<>(slots.size(), true, slots);
    }

    /** GPUs from the configuration, else those the CUDA runtime reports (none without CUDA). */
    public static DevicePool detect(List<Integer> configuredGpus, int cpuSlots, IntSupplier gpuCount) {
        List<Integer> gpus = configuredGpus != null ? configuredGpus : range(safeCount(gpuCount));
        DevicePool pool = new DevicePool(gpus, cpuSlots);
        log.info("Worker slots: {}", pool.slots.stream().map(Slot::name).toList());
        return pool;
    }

    private static int safeCount(IntSupplier gpuCount) {
        try {
            return gpuCount.getAsInt();
        } catch (Throwable e) { // no CUDA runtime at all: an UnsatisfiedLinkError is expected here
            log.debug("No GPU found: {}", e.toString());
            return 0;
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    public int size() {
        return slots.size();
    }

    public List<Slot> slots() {
        return slots;
    }

    public Slot lend(UUID jobId) throws InterruptedException {
        Slot slot = free.take();
        slot.assign(jobId);
        return slot;
    }

    public void giveBack(Slot slot) {
        slot.assign(null);
        free.add(slot);
    }
}
