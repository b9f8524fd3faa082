package io.keel.agent.runtime.docker;

/** The Docker Engine could not be reached, did not answer in time, or refused a request. */
public class DockerEngineException extends RuntimeException {
    public DockerEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
