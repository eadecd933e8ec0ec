package org.masktune.devicecheck;

import org.masktune.jobs.JobHandler;
import org.masktune.runner.JobType;
import org.springframework.stereotype.Component;

@Component
class DeviceCheckHandler implements JobHandler<DeviceCheckConfig> {

    @Override
    public JobType<DeviceCheckConfig> type() {
        return DeviceCheckConfig.TYPE;
    }
}
