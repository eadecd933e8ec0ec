package org.masktune.training;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;
import org.springframework.stereotype.Component;

/** The job types that offer models, by name. */
@Component
public class ModelSources {

    private final Map<String, ModelSource> byType = new LinkedHashMap<>();

    ModelSources(List<ModelSource> sources) {
        sources.forEach(source -> byType.put(source.type().name(), source));
    }

    public Optional<ModelSource> of(String jobType) {
        return Optional.ofNullable(byType.get(jobType));
    }

    /** Their names in bean order (TRAIN first), e.g. for "evaluation takes models of train and masktune jobs". */
    public String describe() {
        return String.join(" and ", byType.keySet());
    }
}
