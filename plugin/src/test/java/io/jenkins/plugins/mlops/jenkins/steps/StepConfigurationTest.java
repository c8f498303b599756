package io.jenkins.plugins.mlops.jenkins.steps;

import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every step's form (config.jelly) and the Snippet Generator keep every parameter: what a user
 * configures is what runs, under the CLI's option names.
 */
@WithJenkins
class StepConfigurationTest {

    @Test
    void everyParameterSurvivesTheStepForm(JenkinsRule r) throws Exception {
        StepConfigTester tester = new StepConfigTester(r);

        ValidateDataStep validate = new ValidateDataStep("data/current.parquet");
        validate.setReference("data/train.parquet");
        validate.setFailOn("warn");
        validate.setThreads(4);
        validate.setReport("reports");
        r.assertEqualDataBoundBeans(validate, tester.configRoundTrip(validate));

        SmokeTrainStep smoke = new SmokeTrainStep("data/train.csv", "python train.py --data {data}");
        smoke.setRows(200);
        smoke.setEpochs(1);
        smoke.setTimeout("90s");
        smoke.setMemory("1g");
        smoke.setLabel("churned");
        smoke.setExpectOutput("{out}/model.pkl");
        r.assertEqualDataBoundBeans(smoke, tester.configRoundTrip(smoke));

        TrainOnGpuStep train = new TrainOnGpuStep();
        train.setCommand("python train.py --epochs 20");
        train.setGpus(2);
        train.setGpuType("NVIDIA-A100-SXM4-80GB");
        train.setImage("ghcr.io/acme/train:1.4");
        train.setMemory("32Gi");
        train.setEnv("EPOCHS=20\nLR=0.001");
        train.setSecretEnv("MLFLOW_TRACKING_TOKEN=mlflow:token");
        train.setRetriesOnPreemption(5);
        train.setUnstableOnFailure(true);
        r.assertEqualDataBoundBeans(train, tester.configRoundTrip(train));

        GateModelStep gate = new GateModelStep("preds/cand.parquet", "churned");

        gate.setPrediction("pred");
        gate.setBaseline("preds/prod.parquet");
        gate.setId("id");
        gate.setScore("proba");
        gate.setMetric("roc_auc");
        gate.setPolicy("policy.yaml");
        gate.setPositiveClass("yes");
        r.assertEqualDataBoundBeans(gate, tester.configRoundTrip(gate));

        RegisterModelStep register = new RegisterModelStep("churn", "out/model");
        register.setAlias("staging,candidate");
        register.setTag("team=growth\ndataset=2026-11");
        register.setGateReport("reports/gate.json");
        register.setTimeout("30s");
        r.assertEqualDataBoundBeans(register, tester.configRoundTrip(register));

        ShadowDeployStep shadow = new ShadowDeployStep("http://staging:8080");
        shadow.setPrimary("http://champion:8080");
        shadow.setDuration("30m");
        shadow.setMaxDisagreement(0.02);
        shadow.setPayload("hashed");
        shadow.setLog("jdbc:postgresql://db:5432/predictions");
        r.assertEqualDataBoundBeans(shadow, tester.configRoundTrip(shadow));

        CanaryRolloutStep canary = new CanaryRolloutStep();
        canary.setBackend("istio");
        canary.setVirtualService("churn");
        canary.setPrometheus("http://prometheus:9090");
        canary.setSteps("10,50,100");
        canary.setMetric("converted:higher=SELECT 1\nrevenue=SELECT 2");
        canary.setMinRequests(500);
        canary.setRouter("http://mlops-router:8080");
        canary.setRouterCredentialsId("router-token");
        r.assertEqualDataBoundBeans(canary, tester.configRoundTrip(canary));
    }

    @Test
    void theSnippetGeneratorWritesTheCliNames(JenkinsRule r) throws Exception {
        SnippetizerTester snippets = new SnippetizerTester(r);
        ValidateDataStep validate = new ValidateDataStep("data/current.csv");
        validate.setReference("data/reference.csv");
        validate.setFailOn("warn");
        snippets.assertRoundTrip(validate, "validateData data: 'data/current.csv', failOn: 'warn', reference: 'data/reference.csv'");

        GateModelStep gate = new GateModelStep("cand.csv", "churned");

        gate.setPrediction("pred");
        gate.setBaselineModel("churn@champion");
        snippets.assertRoundTrip(gate, "gateModel baselineModel: 'churn@champion', candidate: 'cand.csv', label: 'churned', prediction: 'pred'");

        TrainOnGpuStep train = new TrainOnGpuStep();
        train.setGpus(2);
        train.setCommand("python train.py");
        snippets.assertRoundTrip(train, "trainOnGpu command: 'python train.py', gpus: 2");
    }
}
