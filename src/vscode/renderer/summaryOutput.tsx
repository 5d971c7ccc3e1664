/**
 * A trace-summary output in VS Code: its charts and tables, read out on
 * hover. Listing the traces behind a bucket is JupyterLab's for now.
 */
import React, { useMemo, useState } from 'react';
import { decodeTraceSummaryBundle } from '../../bundle';
import { TraceSummaryOutput } from '../../view';

export function TraceSummaryView({
  data
}: {
  data: unknown;
}): React.ReactElement {
  const decoded = useMemo(() => decodeTraceSummaryBundle(data), [data]);
  const [active, setActive] = useState<number | null>(null);
  return (
    <TraceSummaryOutput
      summary={decoded.summary}
      errors={decoded.errors}
      warnings={decoded.warnings}
      active={active}
      onActive={setActive}
    />
  );
}
