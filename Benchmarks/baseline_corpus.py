"""Seeded CloudFormation corpora for the baseline benchmark: templates of at most 200 resources
(CloudFormation allows 500) mixing the resource types the shipped rules and their Checkov peers
judge, each property randomly right or wrong, so both tools have real work and real findings.

Usage: baseline_corpus.py OUT_DIR RESOURCES [SEED]"""
import json, os, random, sys


def bucket(r, i):
    p = {}
    if r.random() < 0.6:
        p["BucketEncryption"] = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": r.choice(["AES256", "aws:kms"])}}]}
    if r.random() < 0.5:
        p["VersioningConfiguration"] = {"Status": r.choice(["Enabled", "Suspended"])}
    if r.random() < 0.5:
        p["LoggingConfiguration"] = {"DestinationBucketName": f"logs-{i}"}
    if r.random() < 0.6:
        p["PublicAccessBlockConfiguration"] = {k: r.random() < 0.8 for k in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]}
    if r.random() < 0.1:
        p["AccessControl"] = r.choice(["PublicRead", "Private", "PublicReadWrite"])
    return "AWS::S3::Bucket", p


def volume(r, i):
    p = {"AvailabilityZone": "ap-northeast-1a", "Size": 20}
    if r.random() < 0.7:
        p["Encrypted"] = r.random() < 0.8
    return "AWS::EC2::Volume", p


def database(r, i):
    p = {"Engine": "postgres", "DBInstanceClass": "db.t3.medium", "AllocatedStorage": "20", "MasterUsername": "app", "MasterUserPassword": "x" * 12}
    for k, chance in [("StorageEncrypted", 0.7), ("PubliclyAccessible", 0.3), ("MultiAZ", 0.5), ("AutoMinorVersionUpgrade", 0.3)]:
        if r.random() < chance:
            p[k] = r.random() < 0.6
    return "AWS::RDS::DBInstance", p


def group(r, i):
    rules = []
    for _ in range(r.randint(0, 3)):
        port = r.choice([22, 80, 443, 3389, 5432])
        rules.append({"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": r.choice(["0.0.0.0/0", "10.0.0.0/8"])})
    p = {"GroupDescription": f"group {i}"}
    if rules:
        p["SecurityGroupIngress"] = rules
    return "AWS::EC2::SecurityGroup", p


def key(r, i):
    p = {"KeyPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}
    if r.random() < 0.6:
        p["EnableKeyRotation"] = r.random() < 0.7
    return "AWS::KMS::Key", p


def trail(r, i):
    p = {"IsLogging": True, "S3BucketName": f"trail-{i}"}
    for k in ["IsMultiRegionTrail", "EnableLogFileValidation"]:
        if r.random() < 0.6:
            p[k] = r.random() < 0.7
    if r.random() < 0.5:
        p["KMSKeyId"] = "alias/trail"
    return "AWS::CloudTrail::Trail", p


def log_group(r, i):
    p = {}
    if r.random() < 0.6:
        p["RetentionInDays"] = r.choice([7, 30, 365, 3653])
    if r.random() < 0.4:
        p["KmsKeyId"] = "arn:aws:kms:ap-northeast-1:123456789012:key/abc"
    return "AWS::Logs::LogGroup", p


def topic(r, i):
    return "AWS::SNS::Topic", ({"KmsMasterKeyId": "alias/sns"} if r.random() < 0.5 else {})


def queue(r, i):
    p = {}
    roll = r.random()
    if roll < 0.3:
        p["KmsMasterKeyId"] = "alias/sqs"
    elif roll < 0.5:
        p["SqsManagedSseEnabled"] = True
    return "AWS::SQS::Queue", p


def table(r, i):
    p = {"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
         "BillingMode": "PAY_PER_REQUEST"}
    if r.random() < 0.6:
        p["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": r.random() < 0.7}
    return "AWS::DynamoDB::Table", p


def policy(r, i):
    action = r.choice(["*", "s3:GetObject", ["s3:GetObject", "s3:PutObject"]])
    resource = r.choice(["*", "arn:aws:s3:::bucket/*"])
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    if r.random() < 0.5:
        return "AWS::IAM::Policy", {"PolicyName": f"policy-{i}", "Roles": ["app"], "PolicyDocument": document}
    return "AWS::IAM::ManagedPolicy", {"ManagedPolicyName": f"policy-{i}", "PolicyDocument": document}


def launch_template(r, i):
    data = {"ImageId": "ami-12345678", "InstanceType": "t3.micro"}
    if r.random() < 0.6:
        data["MetadataOptions"] = {"HttpTokens": r.choice(["required", "optional"]), "HttpEndpoint": "enabled"}
    return "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": data}


def listener(r, i):
    protocol = r.choice(["HTTP", "HTTPS", "HTTPS"])
    p = {"LoadBalancerArn": "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/x/1", "Port": 443 if protocol == "HTTPS" else 80, "Protocol": protocol,
         "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/x/1"}]}
    if protocol == "HTTP" and r.random() < 0.4:
        p["DefaultActions"] = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
    return "AWS::ElasticLoadBalancingV2::Listener", p


MAKERS = [bucket, bucket, volume, database, group, group, key, trail, log_group, topic, queue, table, policy, launch_template, listener]


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261123)
    os.makedirs(out, exist_ok=True)
    made, n = 0, 0
    while made < count:
        size = min(200, count - made)
        resources = {}
        for j in range(size):
            kind, props = r.choice(MAKERS)(r, made + j)
            resources[f"R{made + j:05d}"] = {"Type": kind, "Properties": props}
        with open(os.path.join(out, f"template-{n:03d}.json"), "w") as f:
            json.dump({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, f, indent=1)
        made += size
        n += 1


if __name__ == "__main__":
    main()
