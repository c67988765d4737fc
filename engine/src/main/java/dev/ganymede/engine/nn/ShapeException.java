package dev.ganymede.engine.nn;

import dev.ganymede.engine.GanymedeException;

/** A layer cannot take the shape it is given; the message names the layer and both shapes. */
public class ShapeException extends GanymedeException {

    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
