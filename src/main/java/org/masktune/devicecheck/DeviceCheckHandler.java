package org.masktune.devicecheck;

import org.masktune.jobs.JobHandler;
import org.springframework.stereotype.Component;

@Component
class DeviceCheckHandler implements JobHandler<DeviceCheckConfig> {

    @Override
    public String type() {
        return DeviceCheckTask.TYPE;
    }

    @Override
    public Class<DeviceCheckConfig> configType() {
        return DeviceCheckConfig.class;
    }
}
