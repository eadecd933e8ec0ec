package org.masktune.datasets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "The built-in datasets and user datasets registered from folders under the data roots")
class DatasetController {

    private final DatasetRegistry registry;

    DatasetController(DatasetRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @Operation(summary = "List datasets: the built-ins, then the registered ones by name, each with its splits")
    List<DatasetInfo> list() {
        return registry.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One dataset: spec, splits (counts, classes, image shape, groups) and fingerprint")
    DatasetInfo get(@PathVariable String name) {
        return registry.get(name);
    }

    @PostMapping
    @Operation(summary = "Register a dataset from a folder under a data root (202, prepared in the background)",
            description = "Answers at once with status PREPARING; the folder is then decoded once into the decoded cache,"
                    + " and GET /api/v1/datasets/{name} shows the progress (images decoded of the total), then READY with the"
                    + " split counts and fingerprint, or FAILED with the corrupt or truncated file named relative to the data"
                    + " root. A path outside the data roots or missing is a 400 on spec.path; a taken or built-in name is a 409"
                    + " (a FAILED registration may be registered again).")
    ResponseEntity<DatasetInfo> register(@Valid @RequestBody RegisterDatasetRequest request) {
        DatasetInfo info = registry.register(request.name(), request.spec());
        return ResponseEntity.accepted().location(URI.create("/api/v1/datasets/" + info.name())).body(info);
    }

}
