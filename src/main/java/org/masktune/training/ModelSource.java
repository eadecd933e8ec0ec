package org.masktune.training;

import java.util.List;
import org.masktune.jobs.Job;
import org.masktune.runner.JobType;

/**
 * A job type whose jobs leave trained models behind (TRAIN, MASKTUNE): what evaluation and pipelines ask
 * instead of switching on type names. A new method (JTT, DFR…) that trains models implements it on its handler.
 */
public interface ModelSource {

    JobType<?> type();

    /** The checkpoint kinds that hold its models; the first is what a reference without a kind means. */
    List<String> modelKinds();

    /** The TRAIN config behind the job's models (for a fine-tune, its source's); {@code field} names the reference in errors. */
    TrainConfig trainedWith(Job job, String field);

    /** How an evaluation labels a lone model of this type: {@code erm}, or the method that fine-tuned it. */
    String evaluationLabel();
}
