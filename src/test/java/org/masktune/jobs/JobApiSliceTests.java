package org.masktune.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Optional;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.masktune.training.EpochMetricsRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The problem+json answers of the job API's web layer, without a server, database or worker: the job, training and
 * device-check controllers with the real {@code ProblemDetailsAdvice} and strict JSON reading, the services behind
 * them mocked. (One end-to-end check of the same path through the running service stays in
 * {@link JobApiProblemTests}.) Security is the filter chain's business, tested in SecurityTests; MockMvc here runs
 * without filters.
 */
@WebMvcTest(useDefaultFilters = false, includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = {
        "org\\.masktune\\.jobs\\.JobController",
        "org\\.masktune\\.training\\.TrainController",
        "org\\.masktune\\.devicecheck\\.DeviceCheckController",
        "org\\.masktune\\.web\\.(ProblemDetailsAdvice|StrictJson)"}))
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(LongPollProperties.class)
class JobApiSliceTests {

    private static final String MISSING = "00000000-0000-0000-0000-000000000042";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService service;
    @MockitoBean
    JobLookup lookup;
    @MockitoBean
    JobSubmissions submissions;
    @MockitoBean
    JobChangeWatcher watcher;
    @MockitoBean
    JobEventStream eventStream;
    @MockitoBean
    RenderedJobs rendered;
    @MockitoBean
    EpochMetricsRepository metrics;

    private ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static void problem(ResultActions answer, int status) throws Exception {
        answer.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status));
    }

    @Test
    void outOfRangeNumbersNameEachField() throws Exception {
        ResultActions answer = postJson("/api/v1/jobs/device-check", "{\"matrixSize\":0,\"repeats\":101}");
        problem(answer, 400);
        answer.andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("matrixSize", "repeats")))
                .andExpect(jsonPath("$.detail", Matchers.containsString("matrixSize: must be greater than or equal to 1")));
        problem(postJson("/api/v1/jobs/device-check", "{\"matrixSize\":8193}"), 400);
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        ResultActions answer = postJson("/api/v1/jobs/device-check", "{\"matrixSize\":");
        problem(answer, 400);
        answer.andExpect(jsonPath("$.title").value("Malformed request body"));
    }

    @Test
    void unknownFieldsFractionalIntegersAndDuplicateKeysAre400NamingTheField() throws Exception {
        ResultActions typo = postJson("/api/v1/jobs/train", "{\"dataset\":\"biased-mnist\",\"trainng\":{\"epochs\":1}}");
        problem(typo, 400);
        typo.andExpect(jsonPath("$.errors[0].field").value("trainng"))
                .andExpect(jsonPath("$.errors[0].message", Matchers.startsWith("unknown field; known fields: [")))
                .andExpect(jsonPath("$.errors[0].message", Matchers.containsString("training")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("org.masktune"))));

        ResultActions fractional = postJson("/api/v1/jobs/train", "{\"dataset\":\"biased-mnist\",\"training\":{\"epochs\":1.5}}");
        problem(fractional, 400);
        fractional.andExpect(jsonPath("$.errors[*].field", Matchers.hasItem("training.epochs")))
                .andExpect(content().string(Matchers.containsString("whole number")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("org.masktune"))));

        ResultActions duplicate = postJson("/api/v1/jobs/train", "{\"dataset\":\"biased-mnist\",\"training\":{\"epochs\":1,\"epochs\":7}}");
        problem(duplicate, 400);
        duplicate.andExpect(jsonPath("$.detail", Matchers.containsString("epochs")))
                .andExpect(jsonPath("$.detail", Matchers.containsStringIgnoringCase("duplicate")));

        ResultActions nested = postJson("/api/v1/jobs/device-check", "{\"matrixSize\": 8, \"holdSecond\": 1}");
        problem(nested, 400);
        nested.andExpect(jsonPath("$.errors[*].field", Matchers.hasItem("holdSecond")));
    }

    @Test
    void badParametersNameTheParameter() throws Exception {
        ResultActions badId = mvc.perform(get("/api/v1/jobs/not-a-uuid"));
        problem(badId, 400);
        badId.andExpect(jsonPath("$.errors[0].field").value("id"));

        ResultActions badStatus = mvc.perform(get("/api/v1/jobs?status=SLEEPING"));
        problem(badStatus, 400);
        badStatus.andExpect(jsonPath("$.errors[0].field").value("status"));

        ResultActions badSize = mvc.perform(get("/api/v1/jobs?size=1000"));
        problem(badSize, 400);
        badSize.andExpect(jsonPath("$.errors[0].field").value("size"));

        ResultActions badWait = mvc.perform(get("/api/v1/jobs/" + MISSING + "?waitSeconds=121"));
        problem(badWait, 400);
        badWait.andExpect(jsonPath("$.errors[0].field").value("waitSeconds"));
    }

    @Test
    void aMissingJobIsA404NamingTheIdOnEachOfItsPaths() throws Exception {
        UUID id = UUID.fromString(MISSING);
        when(rendered.current(id)).thenReturn(Optional.empty());
        when(service.cancel(id)).thenThrow(new JobNotFoundException(id));
        when(eventStream.open(any(), anyLong())).thenThrow(new JobNotFoundException(id));

        ResultActions answer = mvc.perform(get("/api/v1/jobs/" + MISSING));
        problem(answer, 404);
        answer.andExpect(jsonPath("$.detail", Matchers.containsString(MISSING)));
        problem(mvc.perform(post("/api/v1/jobs/" + MISSING + "/cancel")), 404);
        problem(mvc.perform(get("/api/v1/jobs/" + MISSING + "/events")), 404);
    }

    @Test
    void aWrongMethodIsA405Problem() throws Exception {
        ResultActions answer = mvc.perform(put("/api/v1/jobs/" + MISSING + "/cancel"));
        problem(answer, 405);
        answer.andExpect(jsonPath("$.detail", Matchers.containsString("PUT")));
    }
}
