package org.masktune.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.datasets.DatasetInfo;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.ml.data.ConfinedPaths;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.interop.Safetensors;
import org.masktune.ml.interop.SafetensorsFormatException;
import org.masktune.ml.interop.TorchLayout;
import org.masktune.ml.interop.WeightsImport;
import org.masktune.ml.interop.WeightsMismatchException;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The checks a TRAIN config passes before any job is created (by a TRAIN submit or a pipeline), and where its weights file is. */
@Component
public class TrainConfigChecks {

    private final DatasetRegistry datasets;
    private final ArtifactStore checkpoints;
    private final JsonMapper json;

    TrainConfigChecks(DatasetRegistry datasets, ArtifactStore checkpoints, JsonMapper json) {
        this.datasets = datasets;
        this.checkpoints = checkpoints;
        this.json = json;
    }

    /**
     * What a TRAIN config must pass before any job is created: a known architecture, a reachable
     * dataset, and initial weights that fit (names always; shapes too when the dataset's image shape
     * is known here, i.e. for built-ins; otherwise the job checks them and fails naming the tensor).
     */
    public void checkTrainConfig(TrainConfig config) {
        if (!Architectures.names().contains(config.model())) {
            throw new InvalidJobConfigException("model", "unknown architecture '" + config.model() + "'; known: " + Architectures.names());
        }
        datasets.check(config.dataset(), "dataset");
        if (config.initialWeights() != null) {
            checkInitialWeights(config);
        }
    }

    private void checkInitialWeights(TrainConfig config) {
        InitialWeights weights = config.initialWeights();
        String field = weights.path() != null ? "initialWeights.path" : "initialWeights.checkpoint";
        Safetensors.Header header;
        if (weights.path() != null) {
            Path file = weightsFile(weights.path());
            try {
                header = Safetensors.readHeader(file);
            } catch (SafetensorsFormatException e) {
                throw new InvalidJobConfigException(field, "'" + weights.path() + "': " + e.getMessage());
            } catch (IOException e) {
                throw new InvalidJobConfigException(field, "'" + weights.path() + "' cannot be read: " + e.getMessage());
            }
        } else {
            Artifact checkpoint = checkpoints.find(weights.checkpoint()).orElseThrow(() -> new InvalidJobConfigException(field,
                    "no checkpoint " + weights.checkpoint() + " (GET /api/v1/jobs/{id}/checkpoints lists a job's checkpoints)"));
            if (!config.model().equals(checkpoint.getArchitecture())) {
                throw new InvalidJobConfigException(field, "checkpoint " + checkpoint.getId() + " is a " + checkpoint.getArchitecture()
                        + " model, the job trains " + config.model());
            }
            ModelSpec source = checkpointSpec(checkpoint, field);
            header = WeightsImport.headerOf(TorchLayout.of(source));
        }
        try {
            ModelSpec target = knownSpec(config);
            if (target == null) {
                WeightsImport.checkNames(config.model(), header);
            } else {
                WeightsImport.check(target, header);
            }
        } catch (WeightsMismatchException e) {
            throw new InvalidJobConfigException(field, e.getMessage());
        }
    }

    /** The confined real path of a weights file named relative to (or inside) a data root. */
    public Path weightsFile(String userPath) {
        Path file;
        try {
            file = ConfinedPaths.resolve(datasets.roots(), userPath);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobConfigException("initialWeights.path", e.getMessage().replace("dataset path", "weights file"));
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidJobConfigException("initialWeights.path", "'" + userPath + "' is not a file");
        }
        return file;
    }

    private ModelSpec checkpointSpec(Artifact checkpoint, String field) {
        JsonNode model = checkpoint.getMetadata() == null ? null : json.readTree(checkpoint.getMetadata()).path("model");
        if (model == null || model.isMissingNode() || model.isNull()) {
            throw new InvalidJobConfigException(field, "checkpoint " + checkpoint.getId() + " does not describe its model");
        }
        ModelSpec spec = json.treeToValue(model, ModelSpec.class);
        if (spec.featureGate()) {
            throw new InvalidJobConfigException(field, "checkpoint " + checkpoint.getId() + " has a feature gate (a SEED_ATTENTION"
                    + " fine-tune); TRAIN models have none: start from its source job's checkpoint instead");
        }
        return spec;
    }

    /** The model the job will build, when the dataset's shape is known without loading it (built-ins). */
    private ModelSpec knownSpec(TrainConfig config) {
        DatasetSpec dataset = config.dataset();
        if (dataset.format() != DatasetFormat.BUILTIN) {
            return null;
        }
        DatasetInfo.SplitInfo train = datasets.get(dataset.name()).splits().get("train");
        if (train == null) {
            return null;
        }
        int size = dataset.imageSize() != null ? dataset.imageSize() : train.height();
        List<String> outputs = train.attributes() == null || train.attributes().isEmpty() ? train.classes() : train.attributes();
        try {
            return new ModelSpec(config.model(), train.channels(), outputs.size(), size, Normalization.unit(train.channels()), outputs,
                    false);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
