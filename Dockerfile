# syntax=docker/dockerfile:1
# Multi-stage build: Maven builds the Boot jar, a JRE image runs it.
#
# GPU: the jar ships the CPU build of libtorch (pytorch-native-cpu). For CUDA, build with
#   docker build --build-arg TORCH_FLAVOR=cu128 .
# which downloads DJL's CUDA build of libtorch 2.7.1 into DJL_CACHE_DIR at image build time
# (it is not on Maven Central), and sets PYTORCH_FLAVOR so every job's child JVM loads it
# offline. The worker pool then finds the GPUs and runs one job per GPU.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY db db
RUN mvn -B -q -DskipTests package && cp target/masktune-service-*.jar /src/app.jar

FROM eclipse-temurin:17-jre
ARG TORCH_FLAVOR=cpu
ENV DJL_CACHE_DIR=/opt/djl \
    MASKTUNE_EMBEDDED_POSTGRES_DATA_DIR=/data/pg \
    MASKTUNE_WORKER_WORK_DIR=/data/work
RUN useradd --system --create-home --home-dir /app masktune && mkdir -p /data /opt/djl && chown -R masktune /data /opt/djl
WORKDIR /app
COPY --from=build /src/app.jar app.jar
USER masktune
# Unpack libtorch once at build time (CPU: from the jar; CUDA: downloaded from DJL's mirror).
RUN if [ "$TORCH_FLAVOR" = "cpu" ]; then \
      java -Dai.djl.offline=true -cp app.jar -Dloader.main=org.masktune.runner.JobRunnerMain \
        org.springframework.boot.loader.launch.PropertiesLauncher --warm-up ; \
    else \
      PYTORCH_FLAVOR=$TORCH_FLAVOR java -Dai.djl.offline=false -cp app.jar \
        -Dloader.main=org.masktune.runner.JobRunnerMain \
        org.springframework.boot.loader.launch.PropertiesLauncher --warm-up ; \
    fi
ENV PYTORCH_FLAVOR=${TORCH_FLAVOR}
EXPOSE 8080
VOLUME /data
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/app/app.jar"]
