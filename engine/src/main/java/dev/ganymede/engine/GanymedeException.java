package dev.ganymede.engine;

/**
 * An error a user can act on: the message alone says what is wrong and where. Front ends print
 * the message and hide the stack trace unless asked for it.
 */
public class GanymedeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GanymedeException(String message) {
        super(message);
    }

    public GanymedeException(String message, Throwable cause) {
        super(message, cause);
    }
}
