package org.masktune.pipelines;

import java.util.UUID;
import org.masktune.web.NotFoundException;

public class PipelineNotFoundException extends NotFoundException {

    public PipelineNotFoundException(UUID id) {
        super("Pipeline not found", "no pipeline with id " + id);
    }
}
