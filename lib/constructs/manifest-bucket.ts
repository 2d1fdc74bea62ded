import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BULK_PREFIXES } from '../../lambdas/shared/bulk-request';

export interface ManifestBucketProps {
  /** Days the bulk results and work files are kept; manifests are the operator's and are kept. */
  readonly resultsRetentionDays: number;
}

/**
 * The bucket of the bulk onboardings: operators upload manifests (anywhere but `work/` and `results/`); the
 * bulk state machine writes its valid items under `work/` and the map's results and summaries under
 * `results/`, both expired after the retention. Encrypted (SSE-S3), TLS only, no public access, no ACLs, kept
 * when the stack is deleted (it holds the operators' manifests). Manifests and results hold org ids, names and
 * ids of Genesys resources, never a secret.
 */
export class ManifestBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ManifestBucketProps) {
    super(scope, id);
    const expiration = Duration.days(props.resultsRetentionDays);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireResults', prefix: BULK_PREFIXES.results, expiration },
        { id: 'ExpireWork', prefix: BULK_PREFIXES.work, expiration },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only this stack and its operators use the bucket; object-level access is audited with CloudTrail S3 data events where policy asks, rather than a second bucket of server access logs (which would itself need one)',
    });
  }
}
