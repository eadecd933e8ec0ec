package org.masktune.worker;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/workers")
@Tag(name = "Workers")
class WorkerController {

    record SlotView(String device, String kind, UUID job) {
    }

    record WorkersView(String instance, List<SlotView> slots) {
    }

    private final DevicePool devices;
    private final WorkerIdentity identity;

    WorkerController(DevicePool devices, WorkerIdentity identity) {
        this.devices = devices;
        this.identity = identity;
    }

    @GetMapping
    @Operation(summary = "This instance's worker slots: one per GPU (or CPU slot), and the job each runs")
    WorkersView workers() {
        return new WorkersView(identity.name(), devices.slots().stream()
                .map(s -> new SlotView(s.name(), s.isGpu() ? "GPU" : "CPU", s.job()))
                .toList());
    }
}
