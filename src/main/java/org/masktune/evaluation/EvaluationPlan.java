package org.masktune.evaluation;

import java.util.List;
import java.util.UUID;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.training.TrainConfig;

/**
 * What the service resolved from an {@link EvaluateConfig} and stages for the child as a JSON file.
 *
 * @param models  in order: first ERM, second MaskTune; each staged as the input named {@code input}
 * @param dataset the dataset to load (the request's, else the source train job's)
 * @param source  the config of the train job behind the first model: the validation set is rebuilt
 *                from its settings (validationFraction, seed) exactly as that job made it
 */
public record EvaluationPlan(List<PlannedModel> models, DatasetSpec dataset, TrainConfig source) {

    /**
     * One resolved model.
     *
     * @param label   erm or masktune (a pair is always erm, masktune; a single model is named by its job's type)
     * @param job     the job that wrote the checkpoint
     * @param jobType train or masktune
     * @param kind    the checkpoint's kind (best, last, finetuned)
     * @param classes outputs of the model, from the checkpoint metadata's {@code model.classes}
     * @param input   the name of the staged checkpoint file in the job spec's inputs
     */
    public record PlannedModel(String label, UUID job, String jobType, String kind, UUID checkpoint, String sha256,
            String architecture, int classes, String input) {
    }
}
