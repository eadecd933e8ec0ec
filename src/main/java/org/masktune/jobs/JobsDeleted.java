package org.masktune.jobs;

import java.util.Set;
import java.util.UUID;

/** Published after jobs were deleted and the deletion committed: in-memory copies of them must go. */
public record JobsDeleted(Set<UUID> jobIds) {
}
