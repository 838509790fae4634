package org.kernelrig.patient;

import org.kernelrig.LabException;

/**
 * The board did not answer at all (connection refused, no answer in time):
 * it may be off or still booting, so waiting for it makes sense, unlike a
 * refused key or host key.
 */
public class BoardUnreachableException extends LabException {

    public BoardUnreachableException(String message, String hint) {
        super(message, hint);
    }
}
