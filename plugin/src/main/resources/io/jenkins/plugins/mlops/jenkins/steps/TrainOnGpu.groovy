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
        if (retries == 0) {
            return onGpuAgent(pod, body)
        }
        // Only a lost agent (node preempted, pod deleted) is retried; a failing script fails at once.
        script.retry(count: retries + 1, conditions: [script.kubernetesAgent()]) {
            onGpuAgent(pod, body)
        }
    }

    private def onGpuAgent(Map pod, Closure body) {
        script.podTemplate(pod.podTemplate) {
            script.node(script.env.POD_LABEL) {
                script.container(pod.container) {
                    body()
                }
            }
        }
    }
}
