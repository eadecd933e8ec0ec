package org.masktune.models;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.masktune.ml.models.ArchitectureInfo;
import org.masktune.ml.models.Architectures;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Models")
class ModelController {

    @GetMapping("/api/v1/models")
    @Operation(summary = "The architectures a job can train, each with its xGradCAM layer and size")
    List<ArchitectureInfo> models() {
        return Architectures.names().stream().map(Architectures::info).toList();
    }
}
