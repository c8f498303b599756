package io.jenkins.plugins.mlops.jenkins.steps

/**
 * trainOnGpu(gpus: 2, gpuType: 'NVIDIA-A100-SXM4-80GB', image: '...') { sh 'python train.py' }
 * The pod comes from core's GpuPodSpec (TrainOnGpuVariable.podTemplateArguments); this class only
 * composes the Pipeline's steps, so it holds no decision to test apart from them.
 */
class TrainOnGpu implements Serializable {
    private static final long serialVersionUID = 1L

    private final org.jenkinsci.plugins.workflow.cps.CpsScript script

    TrainOnGpu(org.jenkinsci.plugins.workflow.cps.CpsScript script) {
        this.script = script
    }

    /** Without a body: the trainOnGpu step (core's Kubernetes Job launcher). */
    def call(Map args) {
        script.steps.trainOnGpu(args)
    }

    def call(Closure body) {
        call([:], body)
    }

    def call(Map args, Closure body) {
        Map pod = TrainOnGpuVariable.podTemplateArguments(args)
        int retries = pod.retries
        script.podTemplate(pod.podTemplate) {
            if (retries == 0) {
                onGpuAgent(pod, body)
            } else {
                // Inside podTemplate, as the kubernetes plugin's README has it: the retry condition looks up
                // the template of the lost agent, which is gone once podTemplate's block has ended. Only a lost
                // agent (node preempted, pod deleted) or a step that could not resume is retried; a failing
                // script fails at once.
                script.retry(count: retries + 1, conditions: [script.kubernetesAgent(), script.nonresumable()]) {
                    onGpuAgent(pod, body)
                }
            }
        }
    }

    private def onGpuAgent(Map pod, Closure body) {
        script.node(script.env.POD_LABEL) {
            script.container(pod.container) {
                body()
            }
        }
    }
}
