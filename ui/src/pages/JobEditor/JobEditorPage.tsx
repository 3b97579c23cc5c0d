import { Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { emptyForm, formFromJob } from './jobForm';
import { JobForm } from './JobForm';

/** /jobs/new and /jobs/:id/edit. */
export default function JobEditorPage() {
  const { id } = useParams();
  const admin = useIsAdmin();
  if (!admin) {
    return <Title order={1}>Only admins can change jobs.</Title>;
  }
  return id ? <EditJob id={id} /> : <NewJob />;
}

function NewJob() {
  return (
    <Stack>
      <Anchor component={Link} to="/jobs" size="sm">
        ← Jobs
      </Anchor>
      <Title order={1} size="h2">
        New job
      </Title>
      <JobForm initial={emptyForm(viewerZone())} />
    </Stack>
  );
}

function EditJob({ id }: { id: string }) {
  const detail = useQuery(queries.job(id));
  return (
    <QueryState query={detail}>
      {({ job }) => (
        <Stack>
          <Anchor component={Link} to={`/jobs/${id}`} size="sm">
            ← {job.name}
          </Anchor>
          <Title order={1} size="h2">
            Edit {job.name}
          </Title>
          <JobForm initial={formFromJob(job)} job={job} />
        </Stack>
      )}
    </QueryState>
  );
}
