package org.masktune.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgPlotTest {

    @Test
    void niceCeilingOfTheRiskAxis() {
        assertThat(SvgPlot.niceCeiling(0.013)).isEqualTo(0.02);
        assertThat(SvgPlot.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgPlot.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(SvgPlot.niceCeiling(0.1)).isEqualTo(0.1);
    }
}
